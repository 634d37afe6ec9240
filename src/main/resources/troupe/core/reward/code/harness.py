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


def _main(write=os.write, getpid=os.getpid, exit_now=os._exit, run=exec, build=compile, kind=type, text=str,
          count=len):
    # Everything the harness calls after the candidate starts is bound here, so a program that
    # replaces os.write or builtins.exec cannot rewrite the tally or skip the tests.
    spec = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    me = getpid()
    tally = os.dup(1)
    os.dup2(2, 1)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    prefix = spec["nonce"] + " "
    tests = list(spec["tests"])

    def name(e):  # an exception's class name, letters only: a name cannot smuggle in a tally line
        return "".join([c for c in text(kind(e).__name__) if c.isalnum() or c == "_"])[:64] or "?"

    def say(*words):
        if getpid() != me:  # a fork of the candidate returned into the harness
            exit_now(0)
        try:
            write(tally, (prefix + " ".join([text(w) for w in words]) + "\n").encode())
        except BaseException:  # the candidate closed or replaced the tally fd
            exit_now(3)

    try:
        code = build(spec["code"], "<candidate>", "exec")
    except (SyntaxError, ValueError):  # ValueError: a NUL byte in the source
        say("syntax")
        return
    except BaseException as e:  # e.g. RecursionError or MemoryError on absurd nesting
        say("crash", name(e))
        return
    scope = {"__name__": "__main__", "__builtins__": __builtins__}
    say("start")
    try:
        run(code, scope)
    except MemoryError:
        say("memory")
        return
    except BaseException as e:  # SystemExit and KeyboardInterrupt too: no test runs after them
        say("crash", name(e))
        return
    say("ran")
    for i in range(count(tests)):
        try:
            run(build(tests[i], "<test %d>" % i, "exec"), scope)
            say("pass", i)
        except MemoryError:
            say("memory")
            say("fail", i, "MemoryError")
        except BaseException as e:
            say("fail", i, name(e))
    say("done")


try:
    _main()
finally:
    # at once: no waiting for threads the program left running, no atexit handlers of its own
    os._exit(0)
