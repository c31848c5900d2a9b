// Commerce module — see DESIGN.md
