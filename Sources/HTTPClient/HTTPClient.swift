// HTTPClient module — see DESIGN.md
