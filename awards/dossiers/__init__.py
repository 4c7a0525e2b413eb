"""A nomination's papers: the submission letter (Mẫu 01) with its list, the achievement
report in the form for its kind (PDF and Word), the dossier merging them with the uploaded
evidence, bulk ZIP jobs, and the public honour roll. See docs/dossiers.md."""
