"""What maca accepts in a file it is given, and how it reads one without being overwhelmed by
it: the limits (`limits`), the workbook of past audits read within them (`workbook`), JSON read
within them (`jsondata`), and the problems of a refused file counted but listed only so far
(`problems`). See docs/security.md, "Hostile uploads", and decision 37."""
