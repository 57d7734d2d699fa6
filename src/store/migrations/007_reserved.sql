-- 007: reserved for a migration on another branch (numbers must run without gaps). Delete this file
-- when that branch's 007 lands; it changes nothing.
SELECT 1;
