-- The supervisor's board and the Decision 766 indicators, kept current for national volume.
-- 1. dossier_facts: one row per dossier with the times the indicators need, read from its event log. A trigger on
--    the dossier's own row (fired by every recordEvent, which bumps last_seq) keeps it current event by event.
-- 2. indicator_monthly: counts per month, receiving office, agency, procedure and commune, materialised from
--    dossier_facts by refresh_indicator_monthly(month), which a job runs for the current and previous month.
CREATE TABLE dossier_facts (
  dossier_id uuid PRIMARY KEY REFERENCES dossiers(id),
  office_id uuid NOT NULL,
  agency_id uuid NOT NULL,
  procedure_id uuid NOT NULL,
  procedure_version_id uuid NOT NULL,
  channel smallint NOT NULL,
  state dossier_state NOT NULL,
  received_at timestamptz,
  due_at timestamptz,
  ext_issued_at timestamptz,
  ext_due_at timestamptz,
  processed_at timestamptz,
  returned_at timestamptz,
  stopped_at timestamptz,
  refused_at timestamptz,
  withdrawn_at timestamptz,
  digitized_at timestamptz,
  result_at timestamptz,
  supplements jsonb NOT NULL DEFAULT '[]'::jsonb,
  supplement_count integer NOT NULL DEFAULT 0,
  paused_since timestamptz,
  -- The due time after supplement pauses counted in working hours on the office's calendar (JavaScript,
  -- shared/src/indicators/on-time.ts), written by the roll-up job once a paused dossier has ended.
  calendar_due_at timestamptz,
  -- Attributes that change without an event (documents, payments, feedback); refreshed with the roll-up.
  digitized_components integer NOT NULL DEFAULT 0,
  reused_components integer NOT NULL DEFAULT 0,
  result_is_paper boolean NOT NULL DEFAULT false,
  has_result_file boolean NOT NULL DEFAULT false,
  fee_total integer NOT NULL DEFAULT 0,
  paid_online boolean NOT NULL DEFAULT false,
  dissatisfied boolean NOT NULL DEFAULT false,
  rated boolean NOT NULL DEFAULT false,
  complaints integer NOT NULL DEFAULT 0,
  last_seq integer NOT NULL DEFAULT 0
);
--> statement-breakpoint
CREATE INDEX dossier_facts_by_office_received ON dossier_facts (office_id, received_at);
--> statement-breakpoint
CREATE INDEX dossier_facts_open_by_office_due ON dossier_facts (office_id, due_at)
  WHERE received_at IS NOT NULL AND processed_at IS NULL AND returned_at IS NULL AND stopped_at IS NULL
    AND refused_at IS NULL AND withdrawn_at IS NULL;
--> statement-breakpoint
CREATE INDEX dossier_facts_by_received ON dossier_facts (received_at);
--> statement-breakpoint
-- When processing ended (infinity while it has not): a month's population is "received in it or ended after its start".
CREATE INDEX dossier_facts_by_finish ON dossier_facts ((coalesce(processed_at, returned_at, least(stopped_at, refused_at, withdrawn_at), 'infinity'::timestamptz)));
--> statement-breakpoint
CREATE INDEX dossier_facts_unfinished ON dossier_facts (received_at)
  WHERE processed_at IS NULL AND returned_at IS NULL AND stopped_at IS NULL AND refused_at IS NULL
    AND withdrawn_at IS NULL;
--> statement-breakpoint
CREATE FUNCTION dossier_facts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ev record;
  t timestamptz;
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.last_seq <= OLD.last_seq THEN
    RETURN NEW;
  END IF;
  SELECT e.event, e.at, e.payload INTO ev FROM dossier_events e
    WHERE e.dossier_id = NEW.id AND e.seq = NEW.last_seq;
  INSERT INTO dossier_facts (dossier_id, office_id, agency_id, procedure_id, procedure_version_id, channel, state, last_seq)
    VALUES (NEW.id, NEW.receiving_office_id, NEW.agency_id, NEW.procedure_id, NEW.procedure_version_id, NEW.channel,
            NEW.state, NEW.last_seq)
    ON CONFLICT (dossier_id) DO UPDATE SET state = EXCLUDED.state, last_seq = EXCLUDED.last_seq,
      agency_id = EXCLUDED.agency_id, channel = EXCLUDED.channel;
  IF ev IS NULL THEN
    RETURN NEW;
  END IF;
  t := ev.at;
  IF ev.event = 'receive' THEN
    UPDATE dossier_facts SET received_at = coalesce(received_at, t),
      due_at = coalesce(due_at, (ev.payload->>'dueAt')::timestamptz, NEW.due_at)
      WHERE dossier_id = NEW.id;
  ELSIF ev.event = 'apologize_and_extend' THEN
    UPDATE dossier_facts SET ext_issued_at = coalesce(ext_issued_at, t),
      ext_due_at = coalesce(ext_due_at, (coalesce(ev.payload->>'newDueAt', ev.payload->>'dueAt'))::timestamptz, NEW.due_at)
      WHERE dossier_id = NEW.id;
  ELSIF ev.event = 'request_supplement' THEN
    UPDATE dossier_facts SET supplements = supplements || jsonb_build_array(jsonb_build_object('r', t, 'c', NULL)),
      supplement_count = supplement_count + 1, paused_since = t, calendar_due_at = NULL
      WHERE dossier_id = NEW.id;
  ELSIF ev.event = 'complete_supplement' THEN
    UPDATE dossier_facts SET paused_since = NULL, calendar_due_at = NULL,
      supplements = CASE WHEN jsonb_array_length(supplements) = 0 THEN supplements
        ELSE jsonb_set(supplements, ARRAY[(jsonb_array_length(supplements) - 1)::text, 'c'], to_jsonb(t)) END
      WHERE dossier_id = NEW.id;
  ELSIF ev.event = 'complete_digitization' THEN
    UPDATE dossier_facts SET digitized_at = coalesce(digitized_at, t) WHERE dossier_id = NEW.id;
  ELSIF ev.event = 'decide' THEN
    UPDATE dossier_facts SET processed_at = coalesce(processed_at, t) WHERE dossier_id = NEW.id;
  ELSIF ev.event = 'release_result' THEN
    UPDATE dossier_facts SET result_at = coalesce(result_at, t) WHERE dossier_id = NEW.id;
  ELSIF ev.event IN ('deliver', 'hand_back') THEN
    UPDATE dossier_facts SET returned_at = coalesce(returned_at, t) WHERE dossier_id = NEW.id;
  ELSIF ev.event = 'stop' THEN
    UPDATE dossier_facts SET stopped_at = coalesce(stopped_at, t) WHERE dossier_id = NEW.id;
  ELSIF ev.event = 'refuse_at_desk' THEN
    UPDATE dossier_facts SET refused_at = coalesce(refused_at, t) WHERE dossier_id = NEW.id;
  ELSIF ev.event = 'withdraw' THEN
    UPDATE dossier_facts SET withdrawn_at = coalesce(withdrawn_at, t) WHERE dossier_id = NEW.id;
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER dossier_facts_on_event
  AFTER INSERT OR UPDATE OF last_seq ON dossiers
  FOR EACH ROW EXECUTE FUNCTION dossier_facts_apply();
--> statement-breakpoint
-- Dossiers that existed before this migration: their facts from the event log, once.
INSERT INTO dossier_facts (dossier_id, office_id, agency_id, procedure_id, procedure_version_id, channel, state, last_seq,
  received_at, due_at, ext_issued_at, ext_due_at, processed_at, returned_at, stopped_at, refused_at, withdrawn_at,
  digitized_at, result_at, supplements, supplement_count)
SELECT d.id, d.receiving_office_id, d.agency_id, d.procedure_id, d.procedure_version_id, d.channel, d.state, d.last_seq,
  min(e.at) FILTER (WHERE e.event = 'receive'),
  coalesce(min((e.payload->>'dueAt')::timestamptz) FILTER (WHERE e.event = 'receive'), d.due_at),
  min(e.at) FILTER (WHERE e.event = 'apologize_and_extend'),
  min((coalesce(e.payload->>'newDueAt', e.payload->>'dueAt'))::timestamptz) FILTER (WHERE e.event = 'apologize_and_extend'),
  min(e.at) FILTER (WHERE e.event = 'decide'),
  min(e.at) FILTER (WHERE e.event IN ('deliver', 'hand_back')),
  min(e.at) FILTER (WHERE e.event = 'stop'),
  min(e.at) FILTER (WHERE e.event = 'refuse_at_desk'),
  min(e.at) FILTER (WHERE e.event = 'withdraw'),
  min(e.at) FILTER (WHERE e.event = 'complete_digitization'),
  min(e.at) FILTER (WHERE e.event = 'release_result'),
  coalesce((SELECT jsonb_agg(jsonb_build_object('r', r.at, 'c', (SELECT min(c.at) FROM dossier_events c
      WHERE c.dossier_id = d.id AND c.event = 'complete_supplement' AND c.seq > r.seq)) ORDER BY r.seq)
    FROM dossier_events r WHERE r.dossier_id = d.id AND r.event = 'request_supplement'), '[]'::jsonb),
  count(*) FILTER (WHERE e.event = 'request_supplement')
FROM dossiers d JOIN dossier_events e ON e.dossier_id = d.id
GROUP BY d.id;
--> statement-breakpoint
-- Attributes kept outside the event log (documents, payments, feedback), for the dossiers given.
CREATE FUNCTION refresh_dossier_attributes(p_ids uuid[]) RETURNS void LANGUAGE sql AS $$
  UPDATE dossier_facts f SET
    digitized_components = greatest(coalesce(doc.digitized, 0), CASE WHEN f.digitized_at IS NOT NULL THEN 1 ELSE 0 END),
    reused_components = coalesce(doc.reused, 0),
    result_is_paper = pv.result_is_paper OR d.paper_result,
    has_result_file = d.result_file_sha256 IS NOT NULL,
    fee_total = coalesce((SELECT sum((x->>'amount')::int) FROM jsonb_array_elements(coalesce(d.intake->'fees', '[]'::jsonb)) x), 0),
    paid_online = coalesce(pay.online, false),
    dissatisfied = coalesce(fb.dissatisfied, false),
    rated = coalesce(fb.rated, false),
    complaints = coalesce(fb.complaints, 0)
  FROM dossiers d
  JOIN procedure_versions pv ON pv.id = d.procedure_version_id
  LEFT JOIN LATERAL (
    SELECT count(*) FILTER (WHERE signed_file_sha256 IS NOT NULL OR source = 'reuse') AS digitized,
           count(*) FILTER (WHERE source = 'reuse' OR reused_from_id IS NOT NULL) AS reused
    FROM documents WHERE dossier_id = d.id) doc ON true
  LEFT JOIN LATERAL (
    SELECT bool_or(method = 'online' AND state = 'paid' AND kind = 'fee') AS online
    FROM payments WHERE dossier_id = d.id) pay ON true
  LEFT JOIN LATERAL (
    SELECT bool_or(kind = 'rating' AND rating <= 2) AS dissatisfied, bool_or(kind = 'rating') AS rated,
           count(*) FILTER (WHERE kind = 'complaint') AS complaints
    FROM feedback WHERE dossier_id = d.id) fb ON true
  WHERE f.dossier_id = ANY (p_ids) AND d.id = f.dossier_id;
$$;
--> statement-breakpoint
-- End of processing before the horizon: processed, else returned, else the first of stopped/refused/withdrawn.
CREATE FUNCTION dossier_finished_at(f dossier_facts, h timestamptz) RETURNS timestamptz LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN f.processed_at < h THEN f.processed_at
    WHEN f.returned_at < h THEN f.returned_at
    ELSE least(CASE WHEN f.stopped_at < h THEN f.stopped_at END, CASE WHEN f.refused_at < h THEN f.refused_at END,
               CASE WHEN f.withdrawn_at < h THEN f.withdrawn_at END)
  END;
$$;
--> statement-breakpoint
-- On time as the portal's date arithmetic judges it (supplement time as elapsed time; more than one request is
-- late); the JavaScript formulas (shared/src/indicators/on-time.ts) are the reference and the tests compare the two.
CREATE FUNCTION dossier_on_time(f dossier_facts, judged timestamptz) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  WITH x AS (
    SELECT (f.ext_issued_at IS NOT NULL AND f.ext_issued_at < f.due_at AND f.ext_issued_at <= judged) AS extended
  ), req AS (
    SELECT (s->>'r')::timestamptz AS r, (s->>'c')::timestamptz AS c
    FROM jsonb_array_elements(f.supplements) s WHERE (s->>'r')::timestamptz <= judged
  )
  SELECT CASE
    WHEN (SELECT count(*) FROM req) > 1 THEN false
    ELSE judged <= (CASE WHEN x.extended THEN f.ext_due_at ELSE f.due_at END) + coalesce((
      SELECT sum(greatest(least(coalesce(c, judged), judged)
                 - greatest(r, CASE WHEN x.extended THEN greatest(f.received_at, f.ext_issued_at) ELSE f.received_at END),
                 interval '0'))
      FROM req), interval '0')
  END
  FROM x;
$$;
--> statement-breakpoint
CREATE TABLE indicator_monthly (
  month date NOT NULL,
  office_id uuid NOT NULL,
  agency_id uuid NOT NULL,
  procedure_id uuid NOT NULL,
  commune_code varchar(5),
  received integer NOT NULL,
  postal integer NOT NULL,
  judged integer NOT NULL,
  on_time integer NOT NULL,
  digitized integer NOT NULL,
  reused integer NOT NULL,
  online integer NOT NULL,
  fee_due integer NOT NULL,
  paid_online integer NOT NULL,
  eresult_due integer NOT NULL,
  eresult integer NOT NULL,
  complained integer NOT NULL,
  refreshed_at timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
CREATE INDEX indicator_monthly_by_month ON indicator_monthly (month, office_id);
--> statement-breakpoint
-- Recomputes one local month (Asia/Ho_Chi_Minh) for every unit; judged at the month end, or now if earlier.
CREATE FUNCTION refresh_indicator_monthly(p_month date, p_now timestamptz DEFAULT now()) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  s timestamptz := (p_month::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh');
  e timestamptz := ((p_month + interval '1 month')::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh');
  h timestamptz := least(e, p_now);
  n integer;
BEGIN
  PERFORM refresh_dossier_attributes(ARRAY(
    SELECT dossier_id FROM dossier_facts f WHERE f.received_at < h AND (f.received_at >= s OR
      coalesce(f.processed_at, f.returned_at, least(f.stopped_at, f.refused_at, f.withdrawn_at), 'infinity'::timestamptz) >= s)));
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
-- The board's warnings: the latest per dossier, and "already warned for this due time?" for the repeatable job.
CREATE INDEX audit_log_board_warnings ON audit_log (office_id, target, at) WHERE action = 'board.deadline_warning';
