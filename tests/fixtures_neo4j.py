"""Neo4j session fixture: filled in with the launcher."""
