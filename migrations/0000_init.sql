CREATE TYPE "public"."courier_task_kind" AS ENUM('pickup', 'delivery');--> statement-breakpoint
CREATE TYPE "public"."courier_task_state" AS ENUM('open', 'assigned', 'done', 'failed', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."applicant_kind" AS ENUM('citizen', 'business', 'state_body', 'other');--> statement-breakpoint
CREATE TYPE "public"."document_source" AS ENUM('scan', 'reuse', 'upload', 'online');--> statement-breakpoint
CREATE TYPE "public"."dossier_state" AS ENUM('pickup_requested', 'pickup_assigned', 'picked_up', 'draft', 'supplement_requested', 'refused', 'received', 'digitized', 'forwarded', 'in_review', 'agency_supplement_requested', 'awaiting_payment', 'decided', 'result_ready', 'out_for_delivery', 'delivery_failed', 'returned_to_agency', 'delivered', 'returned', 'withdrawn', 'stopped');--> statement-breakpoint
CREATE TYPE "public"."commune_kind" AS ENUM('phuong', 'xa', 'dac_khu');--> statement-breakpoint
CREATE TYPE "public"."agency_id_scheme" AS ENUM('legacy', 'qd20');--> statement-breakpoint
CREATE TYPE "public"."office_kind" AS ENUM('service_centre', 'post_office', 'agency', 'commune_committee');--> statement-breakpoint
CREATE TYPE "public"."feedback_kind" AS ENUM('rating', 'complaint');--> statement-breakpoint
CREATE TYPE "public"."holiday_kind" AS ENUM('holiday', 'compensatory', 'swap_off', 'working_weekend');--> statement-breakpoint
CREATE TYPE "public"."outbox_state" AS ENUM('pending', 'sent', 'dead');--> statement-breakpoint
CREATE TYPE "public"."payment_kind" AS ENUM('fee', 'postal_tariff', 'financial_obligation');--> statement-breakpoint
CREATE TYPE "public"."payment_method" AS ENUM('cash', 'online', 'vietqr');--> statement-breakpoint
CREATE TYPE "public"."payment_state" AS ENUM('pending', 'paid', 'failed', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."procedure_level" AS ENUM('province', 'commune');--> statement-breakpoint
CREATE TYPE "public"."role" AS ENUM('clerk', 'courier', 'agency_official', 'supervisor', 'admin');--> statement-breakpoint
CREATE TABLE "courier_tasks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"dossier_id" uuid NOT NULL,
	"office_id" uuid NOT NULL,
	"kind" "courier_task_kind" NOT NULL,
	"state" "courier_task_state" DEFAULT 'open' NOT NULL,
	"address" text NOT NULL,
	"lat" double precision,
	"lng" double precision,
	"window_start" timestamp with time zone,
	"window_end" timestamp with time zone,
	"courier_id" uuid,
	"route_day" date,
	"attempts" integer DEFAULT 0 NOT NULL,
	"collect" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "routes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"office_id" uuid NOT NULL,
	"courier_id" uuid NOT NULL,
	"day" date NOT NULL,
	"stops" jsonb NOT NULL,
	"distance_m" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "applicants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" "applicant_kind" DEFAULT 'citizen' NOT NULL,
	"citizen_id" varchar(12),
	"full_name" text NOT NULL,
	"date_of_birth" date,
	"sex" varchar(6),
	"phone" varchar(15),
	"email" text,
	"address" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "applicants_citizen_id_unique" UNIQUE("citizen_id")
);
--> statement-breakpoint
CREATE TABLE "documents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"dossier_id" uuid,
	"component_code" varchar(20) NOT NULL,
	"source" "document_source" NOT NULL,
	"owner_citizen_id" varchar(12),
	"digitized_code" varchar(120),
	"pages" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"signed_file_sha256" varchar(64),
	"reused_from_id" uuid,
	"valid_until" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "documents_digitized_code_unique" UNIQUE("digitized_code")
);
--> statement-breakpoint
CREATE TABLE "dossier_counters" (
	"agency_id" uuid NOT NULL,
	"day" date NOT NULL,
	"last" integer NOT NULL,
	CONSTRAINT "dossier_counters_agency_id_day_pk" PRIMARY KEY("agency_id","day")
);
--> statement-breakpoint
CREATE TABLE "dossier_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"dossier_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"event" varchar(40) NOT NULL,
	"from_state" "dossier_state",
	"to_state" "dossier_state" NOT NULL,
	"actor_kind" varchar(20) NOT NULL,
	"actor_user_id" uuid,
	"role" "role",
	"office_id" uuid,
	"at" timestamp with time zone NOT NULL,
	"device_at" timestamp with time zone,
	"payload" jsonb NOT NULL,
	"prev_hash" varchar(64),
	"hash" varchar(64) NOT NULL,
	CONSTRAINT "dossier_events_seq" UNIQUE("dossier_id","seq")
);
--> statement-breakpoint
CREATE TABLE "dossiers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" varchar(50),
	"state" "dossier_state" NOT NULL,
	"procedure_id" uuid NOT NULL,
	"procedure_version_id" uuid NOT NULL,
	"applicant_id" uuid,
	"receiving_office_id" uuid NOT NULL,
	"agency_id" uuid NOT NULL,
	"channel" smallint NOT NULL,
	"return_method" smallint DEFAULT 0 NOT NULL,
	"delivery_address" jsonb,
	"from_portal" boolean DEFAULT false NOT NULL,
	"received_at" timestamp with time zone,
	"due_at" timestamp with time zone,
	"supplement_count" integer DEFAULT 0 NOT NULL,
	"apology_count" integer DEFAULT 0 NOT NULL,
	"client_key" varchar(64),
	"last_seq" integer DEFAULT 0 NOT NULL,
	"last_hash" varchar(64),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dossiers_code_unique" UNIQUE("code"),
	CONSTRAINT "dossiers_client_key_unique" UNIQUE("client_key")
);
--> statement-breakpoint
CREATE TABLE "files" (
	"sha256" varchar(64) PRIMARY KEY NOT NULL,
	"size" integer NOT NULL,
	"mime" varchar(100) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "communes" (
	"code" varchar(5) PRIMARY KEY NOT NULL,
	"province_code" varchar(2) NOT NULL,
	"name" text NOT NULL,
	"kind" "commune_kind" NOT NULL,
	"lat" double precision,
	"lng" double precision
);
--> statement-breakpoint
CREATE TABLE "provinces" (
	"code" varchar(2) PRIMARY KEY NOT NULL,
	"name" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "desks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"office_id" uuid NOT NULL,
	"name" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "offices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" varchar(35) NOT NULL,
	"scheme" "agency_id_scheme" NOT NULL,
	"name" text NOT NULL,
	"kind" "office_kind" NOT NULL,
	"parent_id" uuid,
	"commune_code" varchar(5),
	"address" text NOT NULL,
	"lat" double precision,
	"lng" double precision,
	"phone" text,
	"office_hours" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "offices_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"user_id" uuid,
	"role" "role",
	"office_id" uuid,
	"action" varchar(60) NOT NULL,
	"target" varchar(120),
	"request_id" varchar(40),
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "feedback" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"dossier_id" uuid NOT NULL,
	"kind" "feedback_kind" NOT NULL,
	"rating" smallint,
	"comment" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "holidays" (
	"day" date PRIMARY KEY NOT NULL,
	"year" integer NOT NULL,
	"kind" "holiday_kind" NOT NULL,
	"name_vi" text NOT NULL,
	"name_en" text NOT NULL,
	"source" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"topic" varchar(40) NOT NULL,
	"dossier_id" uuid,
	"idempotency_key" varchar(120) NOT NULL,
	"payload" jsonb NOT NULL,
	"state" "outbox_state" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	CONSTRAINT "outbox_idempotency_key_unique" UNIQUE("idempotency_key")
);
--> statement-breakpoint
CREATE TABLE "payments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"dossier_id" uuid NOT NULL,
	"kind" "payment_kind" NOT NULL,
	"amount" integer NOT NULL,
	"method" "payment_method" NOT NULL,
	"state" "payment_state" DEFAULT 'pending' NOT NULL,
	"bill_code" varchar(64),
	"gateway_ref" varchar(64),
	"paid_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payments_bill_code_unique" UNIQUE("bill_code")
);
--> statement-breakpoint
CREATE TABLE "procedure_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"procedure_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"effective_from" date NOT NULL,
	"effective_to" date,
	"processing_hours" integer NOT NULL,
	"fees" jsonb NOT NULL,
	"postal_tariff" integer NOT NULL,
	"components" jsonb NOT NULL,
	"pickup_allowed" boolean NOT NULL,
	"delivery_allowed" boolean NOT NULL,
	"legal_basis" jsonb NOT NULL,
	"result_name" text NOT NULL,
	"result_is_paper" boolean NOT NULL,
	"form_schema" jsonb,
	CONSTRAINT "procedure_versions_unique" UNIQUE("procedure_id","version")
);
--> statement-breakpoint
CREATE TABLE "procedures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" varchar(16) NOT NULL,
	"name" text NOT NULL,
	"field" text NOT NULL,
	"agency_id" uuid NOT NULL,
	"level" "procedure_level" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "procedures_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "memberships" (
	"user_id" uuid NOT NULL,
	"office_id" uuid NOT NULL,
	"role" "role" NOT NULL,
	CONSTRAINT "memberships_user_id_office_id_role_pk" PRIMARY KEY("user_id","office_id","role")
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"username" text NOT NULL,
	"full_name" text NOT NULL,
	"password_hash" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"failed_logins" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_username_unique" UNIQUE("username")
);
--> statement-breakpoint
ALTER TABLE "courier_tasks" ADD CONSTRAINT "courier_tasks_dossier_id_dossiers_id_fk" FOREIGN KEY ("dossier_id") REFERENCES "public"."dossiers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "courier_tasks" ADD CONSTRAINT "courier_tasks_office_id_offices_id_fk" FOREIGN KEY ("office_id") REFERENCES "public"."offices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "courier_tasks" ADD CONSTRAINT "courier_tasks_courier_id_users_id_fk" FOREIGN KEY ("courier_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routes" ADD CONSTRAINT "routes_office_id_offices_id_fk" FOREIGN KEY ("office_id") REFERENCES "public"."offices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routes" ADD CONSTRAINT "routes_courier_id_users_id_fk" FOREIGN KEY ("courier_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_dossier_id_dossiers_id_fk" FOREIGN KEY ("dossier_id") REFERENCES "public"."dossiers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossier_counters" ADD CONSTRAINT "dossier_counters_agency_id_offices_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."offices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossier_events" ADD CONSTRAINT "dossier_events_dossier_id_dossiers_id_fk" FOREIGN KEY ("dossier_id") REFERENCES "public"."dossiers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossier_events" ADD CONSTRAINT "dossier_events_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossier_events" ADD CONSTRAINT "dossier_events_office_id_offices_id_fk" FOREIGN KEY ("office_id") REFERENCES "public"."offices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossiers" ADD CONSTRAINT "dossiers_procedure_id_procedures_id_fk" FOREIGN KEY ("procedure_id") REFERENCES "public"."procedures"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossiers" ADD CONSTRAINT "dossiers_procedure_version_id_procedure_versions_id_fk" FOREIGN KEY ("procedure_version_id") REFERENCES "public"."procedure_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossiers" ADD CONSTRAINT "dossiers_applicant_id_applicants_id_fk" FOREIGN KEY ("applicant_id") REFERENCES "public"."applicants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossiers" ADD CONSTRAINT "dossiers_receiving_office_id_offices_id_fk" FOREIGN KEY ("receiving_office_id") REFERENCES "public"."offices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossiers" ADD CONSTRAINT "dossiers_agency_id_offices_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."offices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "communes" ADD CONSTRAINT "communes_province_code_provinces_code_fk" FOREIGN KEY ("province_code") REFERENCES "public"."provinces"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "desks" ADD CONSTRAINT "desks_office_id_offices_id_fk" FOREIGN KEY ("office_id") REFERENCES "public"."offices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offices" ADD CONSTRAINT "offices_parent_id_offices_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."offices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offices" ADD CONSTRAINT "offices_commune_code_communes_code_fk" FOREIGN KEY ("commune_code") REFERENCES "public"."communes"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_office_id_offices_id_fk" FOREIGN KEY ("office_id") REFERENCES "public"."offices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback" ADD CONSTRAINT "feedback_dossier_id_dossiers_id_fk" FOREIGN KEY ("dossier_id") REFERENCES "public"."dossiers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_dossier_id_dossiers_id_fk" FOREIGN KEY ("dossier_id") REFERENCES "public"."dossiers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_dossier_id_dossiers_id_fk" FOREIGN KEY ("dossier_id") REFERENCES "public"."dossiers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "procedure_versions" ADD CONSTRAINT "procedure_versions_procedure_id_procedures_id_fk" FOREIGN KEY ("procedure_id") REFERENCES "public"."procedures"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "procedures" ADD CONSTRAINT "procedures_agency_id_offices_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."offices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_office_id_offices_id_fk" FOREIGN KEY ("office_id") REFERENCES "public"."offices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "courier_tasks_by_day" ON "courier_tasks" USING btree ("office_id","route_day");--> statement-breakpoint
CREATE INDEX "courier_tasks_by_courier" ON "courier_tasks" USING btree ("courier_id","route_day");--> statement-breakpoint
CREATE INDEX "routes_by_day" ON "routes" USING btree ("office_id","day");--> statement-breakpoint
CREATE INDEX "applicants_by_phone" ON "applicants" USING btree ("phone");--> statement-breakpoint
CREATE INDEX "documents_by_dossier" ON "documents" USING btree ("dossier_id");--> statement-breakpoint
CREATE INDEX "documents_by_owner" ON "documents" USING btree ("owner_citizen_id");--> statement-breakpoint
CREATE INDEX "dossier_events_by_time" ON "dossier_events" USING btree ("at");--> statement-breakpoint
CREATE INDEX "dossiers_by_state_due" ON "dossiers" USING btree ("state","due_at");--> statement-breakpoint
CREATE INDEX "dossiers_by_receiving_office" ON "dossiers" USING btree ("receiving_office_id","created_at");--> statement-breakpoint
CREATE INDEX "dossiers_by_agency" ON "dossiers" USING btree ("agency_id","state");--> statement-breakpoint
CREATE INDEX "dossiers_by_applicant" ON "dossiers" USING btree ("applicant_id");--> statement-breakpoint
CREATE INDEX "communes_by_province" ON "communes" USING btree ("province_code");--> statement-breakpoint
CREATE INDEX "desks_by_office" ON "desks" USING btree ("office_id");--> statement-breakpoint
CREATE INDEX "offices_by_kind" ON "offices" USING btree ("kind");--> statement-breakpoint
CREATE INDEX "audit_log_by_time" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_log_by_user" ON "audit_log" USING btree ("user_id","at");--> statement-breakpoint
CREATE INDEX "feedback_by_dossier" ON "feedback" USING btree ("dossier_id");--> statement-breakpoint
CREATE INDEX "outbox_pending_by_time" ON "outbox" USING btree ("state","next_attempt_at");--> statement-breakpoint
CREATE INDEX "outbox_by_dossier" ON "outbox" USING btree ("dossier_id","id");--> statement-breakpoint
CREATE INDEX "payments_by_dossier" ON "payments" USING btree ("dossier_id");--> statement-breakpoint
CREATE INDEX "procedure_versions_in_force" ON "procedure_versions" USING btree ("procedure_id","effective_from");--> statement-breakpoint
CREATE INDEX "procedures_by_agency" ON "procedures" USING btree ("agency_id");--> statement-breakpoint
CREATE INDEX "memberships_by_office" ON "memberships" USING btree ("office_id");--> statement-breakpoint
CREATE INDEX "sessions_by_user" ON "sessions" USING btree ("user_id");