"""Store fixtures: filled in with the stores."""
