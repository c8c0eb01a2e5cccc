"""Prints, as JSON, everything TensorBoard's own reader (EventAccumulator) finds in a run folder:
every scalar (step, value), histogram (step, min, max, num, limits, counts, sum, sum of squares)
and text (step, text).
Used by the tests to check `nntop export --tensorboard` value by value."""

import json
import sys

from tensorboard.backend.event_processing import event_accumulator as ea

acc = ea.EventAccumulator(sys.argv[1], size_guidance={ea.SCALARS: 0, ea.HISTOGRAMS: 0, ea.TENSORS: 0})
acc.Reload()
tags = acc.Tags()
out = {
    "scalars": {t: [[e.step, e.value] for e in acc.Scalars(t)] for t in tags["scalars"]},
    "histograms": {
        t: [[e.step, e.histogram_value.min, e.histogram_value.max, e.histogram_value.num,
             list(e.histogram_value.bucket_limit), list(e.histogram_value.bucket),
             e.histogram_value.sum, e.histogram_value.sum_squares] for e in acc.Histograms(t)]
        for t in tags["histograms"]
    },
    "texts": {t: [[e.step, e.tensor_proto.string_val[0].decode()] for e in acc.Tensors(t)] for t in tags["tensors"]},
}
json.dump(out, sys.stdout, allow_nan=True)
