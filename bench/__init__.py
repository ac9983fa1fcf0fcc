"""The benchmark harness (`make bench`): seed a city-scale data set, serve the portal
as production does, measure every key page against a trivial view. See bench/run.py."""
