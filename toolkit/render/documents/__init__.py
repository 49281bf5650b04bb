"""Documents and pictures: Word (python-docx), PowerPoint (python-pptx), PNG charts (matplotlib)
and PDF (LibreOffice)."""
