"""Times scikit-learn's load_svmlight_file on one file; prints one JSON line (wall and CPU seconds, documents, peak RSS).

Run with Debian's python (apt-get install python3-sklearn): /usr/bin/python3 sklearn_parse.py FILE
"""
import json
import resource
import sys
import time

from sklearn.datasets import load_svmlight_file


def main() -> None:
    path = sys.argv[1]
    start = time.perf_counter()
    cpu_start = time.process_time()
    features, labels, query_ids = load_svmlight_file(path, query_id=True, dtype="float32")
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu_start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB
    print(json.dumps({"seconds": seconds, "cpuSeconds": cpu_seconds, "documents": int(features.shape[0]), "features": int(features.shape[1]), "peakRssMb": peak_mb}))


if __name__ == "__main__":
    main()
