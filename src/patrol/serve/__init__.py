"""The station's own local web page (``patrol serve``): plan, adjust, check and print.

A Dash app on the station's PC: pages in the order a chief works (Scenario, Plan, Map,
Print), Chinese first, offline by construction (no request leaves its own server).
"""
