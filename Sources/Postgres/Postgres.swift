// Postgres module — see DESIGN.md
