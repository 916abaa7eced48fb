"""What every job shares, below them all: findings and cell marks (:mod:`.findings`), safe file
writes (:mod:`.files`). Nothing here imports a job, a front end or an engine."""
