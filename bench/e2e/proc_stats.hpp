// proc_stats.hpp — what e2e_bench reads of awared's process from /proc: each thread's CPU time.
#pragma once

#include <sys/types.h>

#include <map>

namespace aware::bench::e2e {

// CPU seconds (user + system) of each of the process's threads, by thread id (the main thread's
// id is the pid).
std::map<long, double> thread_cpu(pid_t pid);

}  // namespace aware::bench::e2e
