"""The HR import kinds: units, grades, job roles, posts and people."""
