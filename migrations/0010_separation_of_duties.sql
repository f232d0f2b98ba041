-- Separation of duties (Decision 468): the agency role only at a deciding office, postal roles only at a
-- post office or the service centre, and never both in one account. The admin functions check it first
-- with a clear message; this keeps any other path (a script, a hand-made insert) from breaking it.
CREATE FUNCTION memberships_separate_duties() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  deciding boolean;
BEGIN
  SELECT kind IN ('agency', 'commune_committee') INTO deciding FROM offices WHERE id = NEW.office_id;
  IF (NEW.role = 'agency_official') IS DISTINCT FROM deciding THEN
    RAISE EXCEPTION 'role % is not allowed at this office', NEW.role USING ERRCODE = 'PD001';
  END IF;
  PERFORM pg_advisory_xact_lock(hashtext('memberships:' || NEW.user_id::text));
  IF EXISTS (
    SELECT 1 FROM memberships m
    WHERE m.user_id = NEW.user_id
      AND (m.role = 'agency_official') <> (NEW.role = 'agency_official')
  ) THEN
    RAISE EXCEPTION 'one account may not hold both a postal and an agency role' USING ERRCODE = 'PD001';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER memberships_separate_duties
  BEFORE INSERT OR UPDATE ON memberships
  FOR EACH ROW EXECUTE FUNCTION memberships_separate_duties();
