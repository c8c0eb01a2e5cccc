"""How long a record appended by a writer takes to reach nntop view's screen: a TensorBoard
EventFileWriter appends (and flushes) a scalar, tmux's pane is polled until the value shows.
Needs tmux, TensorBoard and a built nntop (.build/debug/nntop; pass another path as argv[1]).

    python3 bench/view_latency.py [path/to/nntop]
"""
import os, subprocess, sys, time
from tensorboard.compat.proto import summary_pb2
from tensorboard.compat.proto.event_pb2 import Event
from tensorboard.summary.writer.event_file_writer import EventFileWriter
NNTOP = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".build/debug/nntop")
d = "/tmp/lat/run"
os.makedirs(d, exist_ok=True)
w = EventFileWriter(d)
def add(step, v):
    w.add_event(Event(wall_time=time.time(), step=step, summary=summary_pb2.Summary(value=[summary_pb2.Summary.Value(tag="loss", simple_value=v)])))
    w.flush()
add(1, 1.0)
subprocess.run(["tmux", "kill-session", "-t", "lat"], stderr=subprocess.DEVNULL)
subprocess.run(["tmux", "new-session", "-d", "-s", "lat", "-x", "120", "-y", "30", f"{NNTOP} view /tmp/lat; sleep 5"])
time.sleep(3)
lat = []
for i in range(2, 12):
    value = 1000 + i * 1.37
    add(i, value)
    t0 = time.perf_counter()
    while True:
        screen = subprocess.run(["tmux", "capture-pane", "-p", "-t", "lat"], capture_output=True, text=True).stdout
        if f"run loss {round(value)}" in screen:
            break
        if time.perf_counter() - t0 > 5:
            print("not seen", value); break
    lat.append(time.perf_counter() - t0)
    time.sleep(0.3)
subprocess.run(["tmux", "kill-session", "-t", "lat"])
lat.sort()
print("latency median %.3f s, max %.3f s over %d appends" % (lat[len(lat)//2], lat[-1], len(lat)))
