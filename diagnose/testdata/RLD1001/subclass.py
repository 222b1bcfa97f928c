import os

from autogen import ConversableAgent

LLM = {"config_list": [{"model": "gpt-4o-mini", "api_key": os.environ["OPENAI_API_KEY"]}]}


class Debater(ConversableAgent):
    def __init__(self, name, stance):
        super().__init__(
            name=name,
            system_message=f"You argue {stance}. Never concede.",
            llm_config=LLM,
            human_input_mode="NEVER",
        )


pro = Debater("pro", "for remote work")  # want RLD1001 "pro \(human_input_mode=\"NEVER\", no max_consecutive_auto_reply \(default 100\)\) and con"
con = Debater("con", "against remote work")
pro.initiate_chat(con, message="Remote work is better. Convince me otherwise.")


# A subclass that hands **kwargs on: the cap given at the instantiation counts.
class Worker(ConversableAgent):
    def __init__(self, name, **kwargs):
        super().__init__(name=name, llm_config=LLM, **kwargs)


a = Worker("a", human_input_mode="NEVER", max_consecutive_auto_reply=3)
b = Worker("b", human_input_mode="NEVER", max_consecutive_auto_reply=3)
a.initiate_chat(b, message="Count to three.")


# No __init__ of its own: the instantiation is the base constructor call.
class Critic(ConversableAgent):
    def review(self, text):
        return text


c1 = Critic("c1", llm_config=LLM, human_input_mode="NEVER", is_termination_msg=lambda m: "DONE" in (m.get("content") or ""))
c2 = Critic("c2", llm_config=LLM, human_input_mode="NEVER", max_consecutive_auto_reply=2)
c1.initiate_chat(c2, message="Review this sentence.")


# A subclass with its own reply logic decides when to stop in code we do not
# evaluate: not judged.
class Referee(ConversableAgent):
    def __init__(self, name):
        super().__init__(name=name, llm_config=LLM, human_input_mode="NEVER")
        self.register_reply([ConversableAgent, None], Referee.stop_after_verdict, position=0)

    def stop_after_verdict(self, messages=None, sender=None, config=None):
        if messages and "VERDICT" in (messages[-1].get("content") or ""):
            return True, None
        return False, None


r1 = Referee("r1")
r2 = Referee("r2")
r1.initiate_chat(r2, message="Judge this debate.")


# The same with a reply function registered on an instance.
def stop_on_verdict(recipient, messages=None, sender=None, config=None):
    if messages and "VERDICT" in (messages[-1].get("content") or ""):
        return True, None
    return False, None


j1 = ConversableAgent("j1", llm_config=LLM, human_input_mode="NEVER")
j2 = ConversableAgent("j2", llm_config=LLM, human_input_mode="NEVER")
j1.register_reply([ConversableAgent, None], stop_on_verdict, position=0)
j1.initiate_chat(j2, message="Judge this debate.")
