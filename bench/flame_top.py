"""Summarises a py-spy raw profile (collapsed stacks): the frames with the most samples.

    python bench/flame_top.py PROFILE.txt [--top 30]

Prints, for the top frames, the share of samples in which the frame is on the stack
(inclusive) and at the top of it (self). bench/run.sh --profile writes such profiles.
"""

import argparse
from collections import Counter


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("profile")
    p.add_argument("--top", type=int, default=30)
    args = p.parse_args()
    inclusive, own = Counter(), Counter()
    total = 0
    with open(args.profile, encoding="utf-8", errors="replace") as f:
        for line in f:
            stack, _, count = line.rstrip("\n").rpartition(" ")
            if not stack or not count.isdigit():
                continue
            n = int(count)
            total += n
            frames = stack.split(";")
            for frame in set(frames):
                inclusive[frame] += n
            own[frames[-1]] += n
    if not total:
        print("no samples")
        return
    print(f"{total} samples")
    print(f"{'incl %':>7} {'self %':>7}  frame")
    for frame, n in inclusive.most_common(args.top):
        print(f"{100 * n / total:7.1f} {100 * own[frame] / total:7.1f}  {frame[:150]}")
    print()
    print("top self time:")
    for frame, n in own.most_common(args.top):
        print(f"{100 * n / total:7.1f}  {frame[:150]}")


if __name__ == "__main__":
    main()
