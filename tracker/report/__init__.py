"""The board report (issue 14): its content from the named queries
(``content``), drawn as a tagged A4 PDF with typst (``pdf``)."""
