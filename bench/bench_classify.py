"""The learned classifier on labelled text: cross-validation and a held-out test, one report.

Usage: python bench/bench_classify.py [--data DIR] [--k 5]

DIR holds train.csv and test.csv (columns text,label); default ../shared/reference/bps-classification,
read in place. Prints the k-fold cross-validated report on train.csv, the report of a model trained on
train.csv and scored on test.csv, and every test row it gets wrong with its first line and probability.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from digitize import learn  # noqa: E402

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "reference" / "bps-classification"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT)
    parser.add_argument("--k", type=int, default=5)
    args = parser.parse_args()
    if not (args.data / "train.csv").is_file():
        print(f"no train.csv in {args.data}", file=sys.stderr)
        return 3
    train_texts, train_labels = learn.load_labelled_csv(args.data / "train.csv")
    started = time.perf_counter()
    cv = learn.cross_validate(train_texts, train_labels, k=args.k)
    print(f"{cv.folds}-fold cross-validation on train.csv ({len(train_texts)} rows, "
          f"{time.perf_counter() - started:.1f} s)\n{cv.format()}\n")  # fmt: skip
    if not (args.data / "test.csv").is_file():
        return 0
    test_texts, test_labels = learn.load_labelled_csv(args.data / "test.csv")
    model = learn.train(train_texts, train_labels)
    held_out = learn.evaluate(model, test_texts, test_labels)
    print(f"trained on train.csv, scored on test.csv ({len(test_texts)} rows)\n{held_out.format()}\n")
    print("wrong test rows (0-based row, CSV line = row + 2 when texts hold no line breaks):")
    for row, (truth, guess) in enumerate(zip(test_labels, held_out.predicted, strict=True)):
        if truth != guess:
            first = re.sub(r"\s+", " ", test_texts[row].strip())[:70]
            _, confidence = model.predict(test_texts[row])
            print(f"  {row:3d} label {truth:20s} predicted {guess:20s} p={confidence:.2f}  {first}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
