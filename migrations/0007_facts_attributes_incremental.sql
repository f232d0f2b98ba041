-- The attributes of dossier_facts that change without an event (documents, payments, feedback, the dossier's
-- fees and result file) were read again for every dossier of a month at every roll-up refresh: at national volume
-- most of the job's time, and every row rewritten each time. Now a change marks its dossier stale, and the refresh
-- reads again only the stale ones: the job's cost follows the day's activity, not the size of the month.
CREATE TABLE dossier_facts_stale (dossier_id uuid PRIMARY KEY);
--> statement-breakpoint
CREATE FUNCTION dossier_facts_mark_stale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'dossiers' THEN
    INSERT INTO dossier_facts_stale VALUES (NEW.id) ON CONFLICT DO NOTHING;
    RETURN NULL;
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.dossier_id IS NOT NULL THEN
    INSERT INTO dossier_facts_stale VALUES (NEW.dossier_id) ON CONFLICT DO NOTHING;
  END IF;
  IF TG_OP <> 'INSERT' AND OLD.dossier_id IS NOT NULL
     AND (TG_OP = 'DELETE' OR OLD.dossier_id IS DISTINCT FROM NEW.dossier_id) THEN
    INSERT INTO dossier_facts_stale VALUES (OLD.dossier_id) ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- Every event (a completed digitization counts as a digitized component), and the columns the attributes read.
CREATE TRIGGER dossier_facts_stale_on_change
  AFTER INSERT OR UPDATE OF last_seq, paper_result, result_file_sha256, intake ON dossiers
  FOR EACH ROW EXECUTE FUNCTION dossier_facts_mark_stale();
--> statement-breakpoint
CREATE TRIGGER dossier_facts_stale_on_document
  AFTER INSERT OR UPDATE OR DELETE ON documents FOR EACH ROW EXECUTE FUNCTION dossier_facts_mark_stale();
--> statement-breakpoint
CREATE TRIGGER dossier_facts_stale_on_payment
  AFTER INSERT OR UPDATE OR DELETE ON payments FOR EACH ROW EXECUTE FUNCTION dossier_facts_mark_stale();
--> statement-breakpoint
CREATE TRIGGER dossier_facts_stale_on_feedback
  AFTER INSERT OR UPDATE OR DELETE ON feedback FOR EACH ROW EXECUTE FUNCTION dossier_facts_mark_stale();
--> statement-breakpoint
-- Reads the stale dossiers' attributes again and clears their marks, in the caller's transaction. A change committed
-- meanwhile marks its dossier again (the insert waits for this delete), so the next refresh sees it.
CREATE FUNCTION refresh_stale_dossier_attributes() RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  ids uuid[];
BEGIN
  WITH taken AS (DELETE FROM dossier_facts_stale RETURNING dossier_id)
  SELECT array_agg(dossier_id) INTO ids FROM taken;
  IF ids IS NULL THEN
    RETURN 0;
  END IF;
  PERFORM refresh_dossier_attributes(ids);
  RETURN cardinality(ids);
END;
$$;
--> statement-breakpoint
-- Recomputes one local month (Asia/Ho_Chi_Minh) for every unit; judged at the month end, or now if earlier. As in
-- 0006, except that only the dossiers marked stale have their attributes read again (no longer the month's whole
-- population: at 10 million dossiers that was 400,000 rows rewritten per month and refresh).
CREATE OR REPLACE FUNCTION refresh_indicator_monthly(p_month date, p_now timestamptz DEFAULT now()) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  s timestamptz := (p_month::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh');
  e timestamptz := ((p_month + interval '1 month')::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh');
  h timestamptz := least(e, p_now);
  n integer;
BEGIN
  PERFORM refresh_stale_dossier_attributes();
  DELETE FROM indicator_monthly WHERE month = p_month;
  INSERT INTO indicator_monthly (month, office_id, agency_id, procedure_id, commune_code, received, postal, judged,
    on_time, digitized, reused, online, fee_due, paid_online, eresult_due, eresult, complained)
  SELECT p_month, f.office_id, f.agency_id, f.procedure_id, o.commune_code,
    count(*) FILTER (WHERE rcv),
    count(*) FILTER (WHERE rcv AND f.channel = 3),
    count(*) FILTER (WHERE jdg),
    -- Without a supplement request the rule is a comparison. With one, an ended dossier uses the due time the
    -- job computed on the working calendar; a dossier still paused falls back to elapsed time (the portal's way).
    count(*) FILTER (WHERE jdg AND CASE WHEN f.supplement_count = 0
      THEN coalesce(fin, h) <= CASE WHEN f.ext_issued_at IS NOT NULL AND f.ext_issued_at < f.due_at
                                      AND f.ext_issued_at <= coalesce(fin, h) THEN f.ext_due_at ELSE f.due_at END
      WHEN fin IS NOT NULL AND f.calendar_due_at IS NOT NULL THEN f.supplement_count = 1 AND fin <= f.calendar_due_at
      ELSE dossier_on_time(f, coalesce(fin, h)) END),
    count(*) FILTER (WHERE rcv AND f.digitized_components > 0 AND NOT owes),
    count(*) FILTER (WHERE rcv AND f.reused_components > 0),
    count(*) FILTER (WHERE rcv AND f.channel = 2 AND NOT owes),
    count(*) FILTER (WHERE rcv AND f.fee_total > 0),
    count(*) FILTER (WHERE rcv AND f.fee_total > 0 AND f.paid_online),
    count(*) FILTER (WHERE f.result_is_paper AND res >= s),
    count(*) FILTER (WHERE f.result_is_paper AND res >= s AND f.has_result_file),
    count(*) FILTER (WHERE jdg AND (f.complaints > 0 OR f.dissatisfied))
  FROM dossier_facts f
  JOIN offices o ON o.id = f.office_id
  CROSS JOIN LATERAL (SELECT dossier_finished_at(f, h) AS fin,
    CASE WHEN f.processed_at < h THEN f.processed_at WHEN f.returned_at < h THEN f.returned_at END AS res) a
  CROSS JOIN LATERAL (SELECT
    (f.received_at >= s AND f.received_at < h) AS rcv,
    (f.received_at < h AND f.due_at IS NOT NULL AND (a.fin IS NULL OR a.fin >= s)) AS jdg,
    (f.result_is_paper AND a.res IS NOT NULL AND NOT f.has_result_file) AS owes) b
  -- Received in the month, or not ended before it (the by_finish index; the current month's population is small).
  WHERE f.received_at < h AND (f.received_at >= s OR coalesce(f.processed_at, f.returned_at, least(f.stopped_at, f.refused_at, f.withdrawn_at), 'infinity'::timestamptz) >= s)
    AND (f.received_at >= s OR a.fin IS NULL OR a.fin >= s OR a.res >= s)
  GROUP BY f.office_id, f.agency_id, f.procedure_id, o.commune_code;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END;
$$;
--> statement-breakpoint
-- What the last refreshes may not have seen: the dossiers the job covered before (received or not yet ended in the
-- last two months), once.
INSERT INTO dossier_facts_stale
SELECT dossier_id FROM dossier_facts
WHERE received_at IS NULL OR received_at >= now() - interval '62 days'
   OR coalesce(processed_at, returned_at, least(stopped_at, refused_at, withdrawn_at), 'infinity'::timestamptz)
      >= now() - interval '62 days'
ON CONFLICT DO NOTHING;
