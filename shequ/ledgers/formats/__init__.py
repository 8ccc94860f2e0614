"""The three formats every ledger is printed in: xlsx, docx and PDF."""

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_TYPE = "application/pdf"
CONTENT_TYPES = {"xlsx": XLSX_TYPE, "docx": DOCX_TYPE, "pdf": PDF_TYPE}
# The CJK body font named in xlsx and docx files (office PCs have it; other suites substitute a CJK serif).
CJK_FONT = "宋体"
CJK_TITLE_FONT = "黑体"
LATIN_FONT = "Times New Roman"
