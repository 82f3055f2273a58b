package com.leadforge.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * CPU time and memory of the stack's processes, read from /proc before and after each measured run. A JVM (gateway,
 * services, Kafka) is one process: CPU is its utime + stime over all threads, memory its VmRSS. PostgreSQL is a
 * postmaster with one process per connection, so its CPU is the postmaster's own plus what its live children used plus
 * what its exited children used (cutime + cstime, counted once the postmaster reaps them), and its memory is the sum
 * of PSS over all of them (RSS would count the shared buffers once per backend).
 * <p>
 * The client (wrk or pgbench) is a child of this JVM: once it has exited and been reaped its CPU time shows up in this
 * JVM's cutime + cstime, so the difference across a run is the client's CPU.
 */
final class ProcStats {

    /** Clock ticks per second of /proc/[pid]/stat times (USER_HZ; 100 on Linux builds for x86 and arm). */
    static final double TICKS_PER_SECOND = ticksPerSecond();

    /** One named process tree and how to find its root pid now (a process restarted in between gets a new one). */
    record Watched(String name, LongSupplier pid, boolean postmaster) {
    }

    /** CPU seconds used so far and memory in bytes, per process name, plus this JVM's reaped children's CPU. */
    record Sample(Map<String, Double> cpuSeconds, Map<String, Long> memoryBytes, double clientCpuSeconds,
            double machineBusySeconds) {

        /** CPU seconds of everything else on the machine: other processes, this JVM, its unreaped children. */
        double restSeconds() {
            return machineBusySeconds - clientCpuSeconds - cpuSeconds.values().stream().mapToDouble(d -> d).sum();
        }
    }

    private final List<Watched> watched;

    ProcStats(List<Watched> watched) {
        this.watched = List.copyOf(watched);
    }

    Sample sample() {
        Map<String, Double> cpu = new LinkedHashMap<>();
        Map<String, Long> memory = new LinkedHashMap<>();
        for (Watched w : watched) {
            long pid = w.pid().getAsLong();
            if (w.postmaster()) {
                long[] own = stat(pid);
                double ticks = own[0] + own[1] + own[2] + own[3];
                long pss = pss(pid);
                for (long child : children(pid)) {
                    long[] c = stat(child);
                    ticks += c[0] + c[1];
                    pss += pss(child);
                }
                cpu.put(w.name(), ticks / TICKS_PER_SECOND);
                memory.put(w.name(), pss);
            } else {
                long[] own = stat(pid);
                cpu.put(w.name(), (own[0] + own[1]) / TICKS_PER_SECOND);
                memory.put(w.name(), rss(pid));
            }
        }
        long[] self = stat(ProcessHandle.current().pid());
        return new Sample(cpu, memory, (self[2] + self[3]) / TICKS_PER_SECOND, machineBusySeconds());
    }

    /** All CPUs' non-idle time since boot (/proc/stat: user, nice, system, irq, softirq, steal). */
    static double machineBusySeconds() {
        String stat = read(Path.of("/proc/stat"));
        if (stat == null) {
            return 0;
        }
        String[] f = stat.lines().filter(l -> l.startsWith("cpu ")).findFirst().orElse("cpu").trim().split("\\s+");
        if (f.length < 9) {
            return 0;
        }
        long busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
                + Long.parseLong(f[7]) + Long.parseLong(f[8]);
        return busy / TICKS_PER_SECOND;
    }

    List<String> names() {
        return watched.stream().map(Watched::name).toList();
    }

    /** utime, stime, cutime, cstime in ticks (zeros for a process that is gone). */
    static long[] stat(long pid) {
        String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
        if (stat == null) {
            return new long[4];
        }
        // The command name (field 2) is in parentheses and may hold spaces; fields after it are plain numbers.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        // f[0] is field 3 (state); utime is field 14, stime 15, cutime 16, cstime 17.
        return new long[] { Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]),
                Long.parseLong(f[14]) };
    }

    static long ppid(long pid) {
        String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
        if (stat == null) {
            return -1;
        }
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ")[1]);
    }

    static List<Long> children(long parent) {
        List<Long> children = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.toList()) {
                String name = p.getFileName().toString();
                if (name.chars().allMatch(Character::isDigit) && ppid(Long.parseLong(name)) == parent) {
                    children.add(Long.parseLong(name));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return children;
    }

    /** VmRSS in bytes. */
    static long rss(long pid) {
        return kilobytes(read(Path.of("/proc", Long.toString(pid), "status")), "VmRSS:");
    }

    /** Proportional set size in bytes: shared pages divided among the processes that map them. */
    static long pss(long pid) {
        return kilobytes(read(Path.of("/proc", Long.toString(pid), "smaps_rollup")), "Pss:");
    }

    private static long kilobytes(String text, String key) {
        if (text == null) {
            return 0;
        }
        return text.lines().filter(l -> l.startsWith(key)).findFirst()
                .map(l -> Long.parseLong(l.substring(key.length()).replace("kB", "").trim()) * 1024).orElse(0L);
    }

    /** The command line of a process, NULs as spaces; empty when it is gone. */
    static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                    StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            return null;
        }
    }

    private static double ticksPerSecond() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor();
            return Double.parseDouble(out);
        } catch (IOException | RuntimeException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
