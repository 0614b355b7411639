"""Bundles: sessions handed from a laptop to the server exactly once (app/services/bundles.py)."""
