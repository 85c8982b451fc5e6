"""A city bureau's week: every station's folder planned in parallel on Dask.

`patrol.bureau` is the only package that imports Dask (`dask.distributed`,
`dask_geopandas`); `import patrol` and `patrol plan` never load it. Install with the
`bureau` extra (`pip install -e ".[bureau]"`; the `dev` extra includes it).
"""
