"""The on-disk formats seifem writes and reads back: run directories and sweep directories."""
