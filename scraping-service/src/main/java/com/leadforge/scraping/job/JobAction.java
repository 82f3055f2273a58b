package com.leadforge.scraping.job;

/** What a client may do to a job, each moving it from some states to one. */
public enum JobAction {
    START("start", JobStatus.PENDING, JobStatus.RUNNING),
    PAUSE("pause", JobStatus.RUNNING, JobStatus.PAUSED),
    RESUME("resume", JobStatus.PAUSED, JobStatus.RUNNING),
    CANCEL("cancel", null, JobStatus.CANCELLED);

    private final String path;
    /** The one state the action applies to; null: every state that may become {@link #target}. */
    private final JobStatus from;
    private final JobStatus target;

    JobAction(String path, JobStatus from, JobStatus target) {
        this.path = path;
        this.from = from;
        this.target = target;
    }

    public String path() {
        return path;
    }

    public JobStatus target() {
        return target;
    }

    public boolean allowedFrom(JobStatus current) {
        return (from == null || from == current) && current.canBecome(target);
    }
}
