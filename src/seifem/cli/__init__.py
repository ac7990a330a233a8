"""The `seifem` command: run | check | mesh | render | report | sweep | compare | materials | info
(`main.py`; sweep verbs in `sweep.py`)."""
