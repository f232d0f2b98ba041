CREATE TYPE "public"."proof_kind" AS ENUM('pickup', 'delivery', 'failed_pickup', 'failed_delivery');--> statement-breakpoint
CREATE TABLE "agency_api_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"label" text NOT NULL,
	"key_prefix" varchar(16) NOT NULL,
	"key_hash" varchar(64) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "agency_api_keys_key_hash_unique" UNIQUE("key_hash")
);
--> statement-breakpoint
CREATE TABLE "agency_webhooks" (
	"agency_id" uuid PRIMARY KEY NOT NULL,
	"url" text NOT NULL,
	"secret" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_requests" (
	"agency_id" uuid NOT NULL,
	"request_key" varchar(100) NOT NULL,
	"request_hash" varchar(64) NOT NULL,
	"status" integer NOT NULL,
	"response" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "api_requests_agency_id_request_key_pk" PRIMARY KEY("agency_id","request_key")
);
--> statement-breakpoint
CREATE TABLE "courier_proofs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"client_action_id" varchar(64) NOT NULL,
	"task_id" uuid NOT NULL,
	"dossier_id" uuid NOT NULL,
	"courier_id" uuid NOT NULL,
	"kind" "proof_kind" NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"photo_sha256s" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"signature_sha256" varchar(64),
	"otp_verified" boolean DEFAULT false NOT NULL,
	"lat" double precision,
	"lng" double precision,
	"accuracy_m" double precision,
	"device_at" timestamp with time zone,
	"server_at" timestamp with time zone DEFAULT now() NOT NULL,
	"pdf_sha256" varchar(64),
	CONSTRAINT "courier_proofs_client_action_id_unique" UNIQUE("client_action_id")
);
--> statement-breakpoint
CREATE TABLE "dev_mailbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"channel" varchar(10) NOT NULL,
	"recipient" varchar(40) NOT NULL,
	"body" text NOT NULL,
	"dossier_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "otp_codes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"purpose" varchar(30) NOT NULL,
	"phone" varchar(15) NOT NULL,
	"dossier_id" uuid,
	"code_hash" varchar(64) NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "courier_tasks" ADD COLUMN "version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "courier_tasks" ADD COLUMN "sequence" integer;--> statement-breakpoint
ALTER TABLE "courier_tasks" ADD COLUMN "service_level" varchar(8);--> statement-breakpoint
ALTER TABLE "courier_tasks" ADD COLUMN "contact_name" text;--> statement-breakpoint
ALTER TABLE "courier_tasks" ADD COLUMN "contact_phone" varchar(15);--> statement-breakpoint
ALTER TABLE "courier_tasks" ADD COLUMN "fail_reason" text;--> statement-breakpoint
ALTER TABLE "courier_tasks" ADD COLUMN "next_attempt_after" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "courier_tasks" ADD COLUMN "completed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "document_pages" ADD COLUMN "ocr_state" varchar(12);--> statement-breakpoint
ALTER TABLE "document_pages" ADD COLUMN "ocr_text" text;--> statement-breakpoint
ALTER TABLE "dossiers" ADD COLUMN "forwarded_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "dossiers" ADD COLUMN "clock_paused_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "dossiers" ADD COLUMN "decision" jsonb;--> statement-breakpoint
ALTER TABLE "dossiers" ADD COLUMN "result_file_sha256" varchar(64);--> statement-breakpoint
ALTER TABLE "dossiers" ADD COLUMN "paper_result" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "feedback" ADD COLUMN "reasons" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "feedback" ADD COLUMN "answer" text;--> statement-breakpoint
ALTER TABLE "feedback" ADD COLUMN "answered_by" uuid;--> statement-breakpoint
ALTER TABLE "feedback" ADD COLUMN "answered_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "feedback" ADD COLUMN "answer_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "pay_url" text;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "recorded_by" uuid;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "receipt_sha256" varchar(64);--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "signing_key_label" text;--> statement-breakpoint
ALTER TABLE "agency_api_keys" ADD CONSTRAINT "agency_api_keys_agency_id_offices_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."offices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agency_webhooks" ADD CONSTRAINT "agency_webhooks_agency_id_offices_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."offices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_requests" ADD CONSTRAINT "api_requests_agency_id_offices_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."offices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "courier_proofs" ADD CONSTRAINT "courier_proofs_task_id_courier_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."courier_tasks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "courier_proofs" ADD CONSTRAINT "courier_proofs_dossier_id_dossiers_id_fk" FOREIGN KEY ("dossier_id") REFERENCES "public"."dossiers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "courier_proofs" ADD CONSTRAINT "courier_proofs_courier_id_users_id_fk" FOREIGN KEY ("courier_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dev_mailbox" ADD CONSTRAINT "dev_mailbox_dossier_id_dossiers_id_fk" FOREIGN KEY ("dossier_id") REFERENCES "public"."dossiers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "otp_codes" ADD CONSTRAINT "otp_codes_dossier_id_dossiers_id_fk" FOREIGN KEY ("dossier_id") REFERENCES "public"."dossiers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "agency_api_keys_by_agency" ON "agency_api_keys" USING btree ("agency_id");--> statement-breakpoint
CREATE INDEX "courier_proofs_by_task" ON "courier_proofs" USING btree ("task_id");--> statement-breakpoint
CREATE INDEX "courier_proofs_by_dossier" ON "courier_proofs" USING btree ("dossier_id");--> statement-breakpoint
CREATE INDEX "dev_mailbox_by_recipient" ON "dev_mailbox" USING btree ("recipient","created_at");--> statement-breakpoint
CREATE INDEX "otp_codes_by_phone" ON "otp_codes" USING btree ("purpose","phone","created_at");--> statement-breakpoint
ALTER TABLE "feedback" ADD CONSTRAINT "feedback_answered_by_users_id_fk" FOREIGN KEY ("answered_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "feedback_one_rating_per_dossier" ON "feedback" USING btree ("dossier_id") WHERE kind = 'rating';