import cProfile, os, time
_pr = cProfile.Profile()
_t = time.perf_counter()
_pr.enable()
try:
    exec(compile(open(os.path.join(os.path.dirname(__file__), "app.py")).read(), "app.py", "exec"))
finally:
    _pr.disable()
    _pr.dump_stats(f"/tmp/speed/prof/{time.time_ns()}.prof")
