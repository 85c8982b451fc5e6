"""The plan store: a saved plan (OUT/plan.gpkg) that reads back without planning again."""
