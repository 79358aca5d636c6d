"""The account page: who you are, your groups, and links to allauth's e-mail and password pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from .forms import ProfileForm


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, "Your profile is saved.")
            return redirect("accounts:profile")
        return render(request, "account/profile.html", {"form": form}, status=400)
    groups = request.user.groups.order_by("name")
    return render(request, "account/profile.html", {"form": form, "groups": groups})
