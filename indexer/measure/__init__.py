"""Measuring the library, apart from it: search quality (eval), speed (bench, synthetic), load."""
