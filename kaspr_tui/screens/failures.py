"""Failed workers go to the app's one handler (`AppHost.worker_failed`), which shows and logs them.

Textual tells only the node that owns a worker how it ended (`Worker.StateChanged` does not
bubble), so every base class of a node that runs workers passes a failure on with this mixin.
A worker handles what it expects (the server's refusals) itself; what reaches here is the rest.
"""

from __future__ import annotations

from textual.message_pump import MessagePump
from textual.worker import Worker, WorkerState

from kaspr_tui.state import app_host


class ReportsFailedWorkers(MessagePump):
    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            app_host(self.app).worker_failed(event.worker)
