"""Peak memory of a run's stages, for the trace tools (trace_crop_yield,
trace_irrigation): each stage function wrapped to print the VmHWM it
reached (the kernel's high-water mark, reset between stages)."""
import time
import tracemalloc
from pathlib import Path


def status(key):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key):
            return int(line.split()[1]) / 1024
    return float("nan")


def reset_hwm():
    Path("/proc/self/clear_refs").write_text("5")      # VmHWM := VmRSS


def staged(name, function, log):
    """`function`, printing its memory when called (stages must not nest)."""
    def wrapper(*args, **kwargs):
        log.append(status("VmHWM"))                     # the peak between stages
        between = log[-1]
        traced = tracemalloc.is_tracing()
        held = tracemalloc.get_traced_memory()[0] if traced else 0
        rss, t0 = status("VmRSS"), time.perf_counter()
        tracemalloc.reset_peak()
        reset_hwm()
        out = function(*args, **kwargs)
        log.append(status("VmHWM"))
        text = (f"held {held / 2**20:7.1f} MB, traced peak "
                f"{tracemalloc.get_traced_memory()[1] / 2**20:7.1f} MB, " if traced else "")
        print(f"{name:<16} {text}RSS at start {rss:6.0f} MB, peak {log[-1]:6.0f} MB "
              f"({time.perf_counter() - t0:.0f} s; peak since the previous stage "
              f"{between:.0f} MB)", flush=True)
        reset_hwm()
        return out
    return wrapper
