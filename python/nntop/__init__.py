"""Watch a PyTorch training run in nntop and turn its knobs while it trains.

`Run` writes nntop's run-log format (JSON Lines, docs/run-log.md) and applies the commands that
`nntop send` appends to the run's command log (`RUN.commands`).
"""

from .checkpoints import ResumeError
from .commands import KNOBS, command_log_path
from .run import Run

__all__ = ["Run", "KNOBS", "ResumeError", "command_log_path"]
__version__ = "0.1.0"
