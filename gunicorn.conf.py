"""gunicorn settings for serving the app: `make run`, and a faculty or district server.

gunicorn reads this file when it is started from the project's folder; options given on the
command line win over it. The number of worker processes comes from WEB_CONCURRENCY (gunicorn's
own variable), 3 by default: on a 2-core laptop, 3 processes of 4 threads keep both cores busy
while some threads wait on the database.
"""

import os

worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
threads = 4

# At most this many open connections (kept-alive ones included) per worker. Without a cap the
# first worker to wake accepts nearly every phone of a burst and the others idle: in
# bench/load_burst.py, 309 of 311 sockets sat on one worker of three. With the cap the phones
# spread over all workers. A phone beyond workers x worker_connections waits in the listen
# backlog until a connection closes (kept-alive connections close after 2 s without a
# request); for more than 300 phones at once, raise WEB_CONCURRENCY or this.
worker_connections = 100
