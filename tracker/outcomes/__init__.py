"""Outcomes (issue 16): the municipality's emissions from SYKE's ALas files and
indicators filled from spreadsheets.

- ``syke``: what SYKE's files hold (sector codes per level, headers, cells)
  and a file read into checked rows;
- ``workbook``: the all-municipality workbook's DATA sheet read as a stream,
  within size and time limits;
- ``syke_import``: a file into the organisations it is for, all or nothing,
  saying what changed; the ``emissions show`` figures;
- ``indicator_sheet``: an indicator's values from a CSV/xlsx in the
  spreadsheet conventions of tracker/spreadsheet/.
"""
