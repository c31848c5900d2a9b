// Queue module — see DESIGN.md
