"""What the evaluation scripts share: running credence, and reading its reports back."""
import subprocess
import sys
import time


def run_timed(command, config, what):
    """Runs a credence command (with --config when given) and returns its wall seconds;
    exits with credence's stderr unless it succeeded (0) or only skipped inputs (1)."""
    if config:
        command = command + ["--config", config]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        sys.exit(f"credence failed on {what}:\n{done.stderr}")
    return seconds


def uncell(text):
    """Undo the report's formula neutralising (a leading ' before = + - @)."""
    return text[1:] if text[:2] in ("'=", "'+", "'-", "'@") else text
