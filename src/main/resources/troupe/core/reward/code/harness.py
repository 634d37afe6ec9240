# Test harness of the code-execution reward rule (troupe.core.reward.code.Sandbox), run as
# `python3 -I -c <this text>` inside the sandbox. stdin: one JSON object {"nonce", "code", "tests"}.
#
# The tally goes to a private copy of fd 1, one line per event, each starting with the nonce;
# the candidate's own stdout and stderr both go to fd 2, which the scorer reads (bounded) and
# discards. Lines without the nonce are ignored, so a program that prints "pass" earns nothing,
# and only this process (not a fork of it) reports. The candidate runs in this interpreter, so a
# program that deliberately inspects the harness's frames can still find the nonce and forge a
# tally: the sandbox protects the host, not the reward (see README, "Code execution").
#
# Events: start | syntax | crash <type> | memory | ran | pass <i> | fail <i> <type> | done
import json
import os
import sys


def _main():
    spec = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    me = os.getpid()
    tally = os.dup(1)
    os.dup2(2, 1)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    prefix = spec["nonce"] + " "

    def say(*words):
        if os.getpid() != me:  # a fork of the candidate returned into the harness
            os._exit(0)
        try:
            os.write(tally, (prefix + " ".join(str(w) for w in words) + "\n").encode())
        except OSError:  # the candidate closed or replaced the tally fd
            os._exit(3)

    try:
        code = compile(spec["code"], "<candidate>", "exec")
    except (SyntaxError, ValueError):  # ValueError: a NUL byte in the source
        say("syntax")
        return
    scope = {"__name__": "__main__", "__builtins__": __builtins__}
    say("start")
    try:
        exec(code, scope)
    except MemoryError:
        say("memory")
        return
    except BaseException as e:  # SystemExit and KeyboardInterrupt too: no test runs after them
        say("crash", type(e).__name__)
        return
    say("ran")
    for i, test in enumerate(spec["tests"]):
        try:
            exec(compile(test, "<test %d>" % i, "exec"), scope)
            say("pass", i)
        except MemoryError:
            say("memory")
            say("fail", i, "MemoryError")
        except BaseException as e:
            say("fail", i, type(e).__name__)
    say("done")


_main()
