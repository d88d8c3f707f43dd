{
  "targets": [
    {
      "target_name": "dispel4ts_mpi",
      "sources": ["dispel4ts_mpi.c"],
      "cflags": ["-O2", "-std=gnu11", "-pthread", "-Wall", "<!@(node mpiFlags.mjs cflags)"],
      "libraries": ["-pthread", "<!@(node mpiFlags.mjs libs)"]
    }
  ]
}
