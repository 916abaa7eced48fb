"""What every job shares, below them all: findings and cell marks (:mod:`.findings`), safe file
writes and output faults (:mod:`.files`), text-file decoding (:mod:`.text_files`), number formats
(:mod:`.number_formats`), printing to PDF through LibreOffice (:mod:`.pdf`) and the port optional
slices plug into (:mod:`.slices`). Nothing here imports a job, a front end or an engine."""
