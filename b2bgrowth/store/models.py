"""Import every capability's models so Base.metadata holds the whole schema.

Alembic's env and the Store import this module; nothing else should need to.
"""

from b2bgrowth.accounts.models import Account, Contact, TierRule  # noqa: F401
from b2bgrowth.auth.models import ApiToken, User  # noqa: F401
from b2bgrowth.channels.models import Campaign, Channel, ChannelCost  # noqa: F401
from b2bgrowth.community.models import CommunityGroup, CommunityMember, CommunityMessage  # noqa: F401
from b2bgrowth.experiments.models import Experiment, ExperimentAssignment  # noqa: F401
from b2bgrowth.leads.models import AssignmentRule, FormSubmission, Lead, LeadMerge, LeadTransition, Touch, WebForm  # noqa: F401,E501
from b2bgrowth.pipeline.models import Opportunity, OpportunityStageChange, PipelineStage  # noqa: F401
from b2bgrowth.requirements.models import Requirement  # noqa: F401
from b2bgrowth.revenue.models import ExchangeRate, Subscription  # noqa: F401
from b2bgrowth.store.base import Base  # noqa: F401
from b2bgrowth.store.meta import DataRevision  # noqa: F401
from b2bgrowth.success.config_models import OnboardingMilestone  # noqa: F401
from b2bgrowth.success.models import CsTask, Scorecard  # noqa: F401
from b2bgrowth.success.playbooks.models import PlaybookRule  # noqa: F401
from b2bgrowth.voc.models import NpsResponse  # noqa: F401
from b2bgrowth.voc.survey_models import Survey, SurveyRecipient  # noqa: F401
