#!/usr/bin/env python3
"""A Troupe reward scorer in Python: the "polite" objective, served over gRPC RewardService.

Scores each response by the polite words it uses (please, thank, sorry, kindly), capped at 3;
larger is better. Replace `score_one` with your own model or verifier: Troupe calls Describe
once when the scorer is added, then Score once per rollout batch with a deadline.

Run:  ./generate.sh && /usr/bin/python3 polite_scorer.py --port 50051
It prints "listening on HOST:PORT" once ready and serves until SIGTERM or Ctrl-C.
"""
import argparse
import os
import signal
import sys
from concurrent import futures

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.environ.get("TROUPE_STUBS", os.path.join(HERE, "gen")))

import grpc  # noqa: E402
from troupe.v1 import reward_pb2, reward_pb2_grpc  # noqa: E402

POLITE = ("please", "thank", "sorry", "kindly")


def score_one(item):
    """One finite float per item, in the objective's own units."""
    text = item.response_text.lower()
    return float(min(3, sum(text.count(word) for word in POLITE)))


class PoliteScorer(reward_pb2_grpc.RewardServiceServicer):
    def Describe(self, request, context):
        return reward_pb2.DescribeResponse(
            objective=reward_pb2.ObjectiveSpec(
                name="polite",
                direction=reward_pb2.MAXIMIZE,
                description="polite words in the response, capped at 3"),
            version="polite-1",
            max_batch_size=256)

    def Score(self, request, context):
        if not request.items:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "items: must not be empty")
        return reward_pb2.ScoreResponse(scores=[score_one(i) for i in request.items])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=50051, help="0 = any free port")
    args = parser.parse_args()

    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    reward_pb2_grpc.add_RewardServiceServicer_to_server(PoliteScorer(), server)
    port = server.add_insecure_port(f"{args.host}:{args.port}")
    if port == 0:
        sys.exit(f"cannot bind {args.host}:{args.port}")
    server.start()
    print(f"listening on {args.host}:{port}", flush=True)
    # Finish in-flight Score calls (up to 5 s) on SIGTERM, as Kubernetes expects.
    signal.signal(signal.SIGTERM, lambda *_: server.stop(5))
    try:
        server.wait_for_termination()
    except KeyboardInterrupt:
        server.stop(0)


if __name__ == "__main__":
    main()
