"""Small helpers shared by the engine and its filters."""
