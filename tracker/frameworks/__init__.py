"""What the CDP-ICLEI Track and Covenant of Mayors reports ask for: the optional
per-measure fields' vocabularies with their mappings to each framework's words
(``vocabulary``), and the two exports, one row per measure (``export``).
docs/frameworks.md gives the source of every list and mapping."""
