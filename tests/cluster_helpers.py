"""One script run over Streamlit's WebSocket protocol, without a browser: what a viewer's
session asks of a replica. Shared by tests/e2e/test_cluster.py and bench/cluster.py."""
from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg


@dataclass
class Run:
    ms: float | None = None  # connect → the last page's script_finished
    error: str | None = None  # refused, dropped, timed out, or an exception box in the page
    frames: list[bytes] = field(default_factory=list)

    @property
    def bytes(self) -> int:
        return sum(len(f) for f in self.frames)

    def contains(self, text: str) -> bool:
        """Whether the text went to the browser (element text, or a table's Arrow bytes)."""
        needle = text.encode()
        return any(needle in f for f in self.frames)


async def script_run(ws_url: str, page: str = "", query: str = "", *, cookie: str | None = None,
                     timeout_s: float = 300, then: tuple[str, ...] = ()) -> Run:
    """Connect (with this route cookie, through nginx), run one page and then the pages `then`
    on the same connection (a viewer clicking on), collect what they sent."""
    run, started = Run(), time.perf_counter()
    headers = {"Cookie": f"etdz_route={cookie}"} if cookie else None
    try:
        async with websockets.connect(ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=timeout_s,
                                      additional_headers=headers) as ws:
            async with asyncio.timeout(timeout_s):
                for name in (page, *then):
                    rerun = BackMsg()
                    rerun.rerun_script.query_string = query if name == page else ""
                    rerun.rerun_script.page_name = name
                    await ws.send(rerun.SerializeToString())
                    async for frame in ws:
                        run.frames.append(frame)
                        msg = ForwardMsg()
                        msg.ParseFromString(frame)
                        kind = msg.WhichOneof("type")
                        if kind == "delta" and msg.delta.new_element.WhichOneof("type") == "exception":
                            run.error = f"exception: {msg.delta.new_element.exception.message}"
                        elif kind == "script_finished":
                            break
                    else:
                        break
                else:
                    run.ms = (time.perf_counter() - started) * 1000
                    return run
        run.error = run.error or "closed before script_finished"
    except Exception as e:  # a timeout or a refused connection is a result here
        run.error = f"{type(e).__name__}: {e}"
    return run
