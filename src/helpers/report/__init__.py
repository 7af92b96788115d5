"""Stage 3, report output: disclosure control, figure register, charts, tables, page furniture,
HTML export and index pages. It formats figures; it never decides what they are."""
