"""Shared fixtures come from plugin modules beside this file, one per concern."""

pytest_plugins = ["fixtures_browser", "fixtures_demo", "fixtures_neo4j", "fixtures_stores"]
