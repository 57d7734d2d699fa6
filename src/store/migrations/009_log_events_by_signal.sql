-- 007: log_events by signal and date. Detection reads the recent events of one signal (tenant
-- changes over the correlation window, a client's token failures over the last minutes). Through
-- the date index alone, each such read walked every event of the window and looked each one up in
-- the table to check its signal, so an evaluation grew with the traffic stored: tens of ms to
-- seconds over a busy tenant's store (bench/store-scale.ts). This index costs one more B-tree
-- insert per event, appended at one spot per signal; the date index stays for the prune.
CREATE INDEX log_events_signal_date ON log_events (signal, date);
